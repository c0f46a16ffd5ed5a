"""How big an upload may be, and the messages that refuse a file over a limit."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.engine.data.upload.problems import Rejected

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """How big an upload may be. The unpacked size and compression ratio guard XLSX/Parquet."""

    max_bytes: int = 50 * MB
    max_rows: int = 200_000
    max_columns: int = 2_000
    max_cells: int = 5_000_000
    max_unpacked_bytes: int = 256 * MB
    max_compression_ratio: float = 200.0

    @classmethod
    def from_settings(cls, settings) -> UploadLimits:
        """Limits from `dashboard.settings.Settings` (MI_UPLOAD_MAX_MB, _ROWS, _COLUMNS)."""
        return cls(
            max_bytes=settings.upload_max_bytes,
            max_rows=settings.upload_max_rows,
            max_columns=settings.upload_max_columns,
            max_cells=settings.upload_max_cells,
        )


def size_text(size: float) -> str:
    """'9.8 KB' or '50.0 MB', for messages about file sizes."""
    return f"{size / MB:,.1f} MB" if size >= MB / 10 else f"{size / 1024:,.1f} KB"


def too_big(size: int, limits: UploadLimits) -> Rejected:
    return Rejected(
        f"The file is {size_text(size)}; at most {size_text(limits.max_bytes)} are accepted."
    )


def too_many_rows(limits: UploadLimits) -> Rejected:
    return Rejected(
        f"The file has more than {limits.max_rows:,} data rows, the most accepted here. "
        "Upload a smaller part of it."
    )


def check_width(width: int, limits: UploadLimits) -> None:
    if width > limits.max_columns:
        raise Rejected(
            f"The file has {width:,} columns; at most {limits.max_columns:,} are accepted."
        )


def check_cells(rows: int, width: int, limits: UploadLimits, about: bool = False) -> None:
    """Refuse a table of more than `max_cells` cells (rows x columns) before or while reading
    it: every cell costs memory while it is typed and checked, about 100 bytes in all, so the
    budget bounds what one upload can take from the server (5 M cells: about 0.6 GB)."""
    if rows * width > limits.max_cells:
        size = f"{'about ' if about else ''}{rows:,} rows of {width:,} columns"
        raise Rejected(
            f"The file has {size}, more than the {limits.max_cells:,} cells accepted here (each "
            "cell costs memory while it is checked). Upload fewer rows or columns."
        )
