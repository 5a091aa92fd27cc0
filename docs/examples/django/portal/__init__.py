"""A small customer portal on Django and zammad_orm: staff and customers log in with Django
accounts whose email is their Zammad login; each sees the tickets Zammad lets them see."""
