"""Integrations with web frameworks (optional extras): :mod:`zammad_orm.contrib.django`
(``pip install 'zammad_orm[django]'``) and :mod:`zammad_orm.contrib.flask`
(``pip install 'zammad_orm[flask]'``). The core never imports them."""
