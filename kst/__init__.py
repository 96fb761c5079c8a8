"""The `kst` command line: the application layer over the library (`pipeline`) and its Prefect flows (`flows`)."""
