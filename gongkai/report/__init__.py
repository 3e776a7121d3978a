"""Renderers of check results: text (问题清单), JSON, self-contained HTML, Excel."""

from .json_report import result_to_dict

__all__ = ["result_to_dict"]
