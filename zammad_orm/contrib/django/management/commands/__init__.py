"""``manage.py zammad_check``."""
