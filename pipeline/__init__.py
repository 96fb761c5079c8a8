"""kamerstukken: Dutch parliamentary papers to queryable data."""
__version__ = "0.1.0"
