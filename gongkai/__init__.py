"""gongkai (公开): turn budget and final-account disclosure reports into verified data.

    from gongkai import parse, check, facts
    doc = parse("report.txt")          # the canonical model (gongkai.model)
    result = check(doc)                # findings with rule id, severity and evidence
    rows = list(facts(doc))            # tidy long-format records
"""

__version__ = "0.1.0"

# The pipeline is imported on first use (PEP 562), so `gongkai --version`, `gongkai rules`
# and a batch's parent process start without loading it.
_LAZY = {
    "parse": ".api", "parse_bytes": ".api", "parse_text": ".api",
    "check": ".checks", "InputError": ".errors", "facts": ".facts",
}

__all__ = ["InputError", "__version__", "check", "facts", "parse", "parse_bytes", "parse_text"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gongkai' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
