"""The one exception a stage raises for input it cannot handle: the batch records it and goes on."""


class IngestError(Exception):
    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage
        self.message = message

    def __str__(self) -> str:
        return f"{self.stage}: {self.message}"

    def __reduce__(self):  # crosses process boundaries (worker processes, Dask) intact
        return IngestError, (self.stage, self.message)
