"""gongkai (公开): turn budget and final-account disclosure reports into verified data.

    from gongkai import parse, check, facts
    doc = parse("report.txt")          # the canonical model (gongkai.model)
    result = check(doc)                # findings with rule id, severity and evidence
    rows = list(facts(doc))            # tidy long-format records
"""

__version__ = "0.1.0"

from .api import parse, parse_bytes, parse_text  # noqa: E402
from .checks import check  # noqa: E402
from .errors import InputError  # noqa: E402
from .facts import facts  # noqa: E402

__all__ = ["InputError", "__version__", "check", "facts", "parse", "parse_bytes", "parse_text"]
