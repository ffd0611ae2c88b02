"""Packaging hook: the wheel carries the default theme (the repository's templates/) as lectern/theme/default/."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithTheme(build_py):
    """build_py, plus templates/ copied into the built package: one place to edit, shipped in every wheel."""

    def run(self):
        super().run()
        if not self.editable_mode:  # an editable install reads templates/ in the checkout itself
            self.copy_tree(str(HERE / "templates"), str(Path(self.build_lib) / "lectern" / "theme" / "default"))


setup(cmdclass={"build_py": BuildWithTheme})
