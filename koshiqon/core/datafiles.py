"""What the loaders of the project's own data files (reference data, quota plans) share."""


class DataFilesError(ValueError):
    """One or more rows of the data files are wrong; `problems` lists each as 'file line N: reason', so that
    a whole file can be mended in one pass. Nothing of a file with problems is loaded."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))
