from django.core.management import call_command


def test_the_models_and_migrations_agree(db):
    # Also catches model definitions that change between runs (e.g. lists built from sets).
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
