"""Errors a user sees as a one-line message (exit code 2), never a traceback."""


class InputError(Exception):
    """The input cannot be read as a disclosure report."""

    def __init__(self, message: str, path: str | None = None):
        self.path = path
        super().__init__(message)

    def __str__(self) -> str:
        from .textsafe import one_line, path_text

        message = one_line(super().__str__())
        return f"{path_text(self.path)}: {message}" if self.path else message
