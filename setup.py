"""Builds the compiled translation catalogues (.mo) into every install, wheel or editable.

Everything else is in pyproject.toml.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogues(build_py):
    def run(self):
        super().run()
        # An editable install imports portal from the source folder: compile it there.
        target = Path() if self.editable_mode else Path(self.build_lib)
        for po in sorted(Path("portal/translations").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            mo = target / po.with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as compiled:
                write_mo(compiled, catalog)


setup(cmdclass={"build_py": BuildPyWithCatalogues})
