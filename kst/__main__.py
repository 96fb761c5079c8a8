from kst.cli import app

app()
