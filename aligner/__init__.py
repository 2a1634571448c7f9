"""aligner: parse, segment, align and export bilingual documents."""

__version__ = "0.1.0"
