"""The corpus store: thousands of aligned documents in one SQLite database, built, searched and exported.

``build_corpus`` pairs the documents of two folders (by name, a path pattern or content,
:mod:`aligner.store.pairing`), aligns each pair with :func:`~aligner.store.work.align_document`
in this process, on worker processes or on a Dask cluster (:mod:`aligner.store.runner`), and
commits each result as it comes; a rerun redoes only what changed. ``search`` gives a parallel
concordance, ``store_stats`` the counts, ``export_store`` every format (and Parquet), streamed.
The schema and its migrations are in :mod:`aligner.store.schema` and docs/store.md.
"""

from aligner.store.build import ALIGNING, READING, BuildProgress, BuildSummary, build_corpus
from aligner.store.export import PARQUET, export_store
from aligner.store.importing import IMPORTED, import_alignment, import_corpus, import_file
from aligner.store.pairing import PAIRINGS, Pair, Pairing, Unpaired
from aligner.store.read import Selection, StoredPair, StoreReader
from aligner.store.runner import LOCAL_CLUSTER, default_jobs
from aligner.store.schema import SCHEMA_VERSION, connect
from aligner.store.search import Hit, hit_json, search, store_stats
from aligner.store.work import PairTask, align_document

__all__ = [
    "ALIGNING",
    "IMPORTED",
    "READING",
    "LOCAL_CLUSTER",
    "PAIRINGS",
    "PARQUET",
    "SCHEMA_VERSION",
    "BuildProgress",
    "BuildSummary",
    "Hit",
    "Pair",
    "PairTask",
    "Pairing",
    "Selection",
    "StoreReader",
    "StoredPair",
    "Unpaired",
    "align_document",
    "build_corpus",
    "connect",
    "default_jobs",
    "export_store",
    "hit_json",
    "import_corpus",
    "import_alignment",
    "import_file",
    "search",
    "store_stats",
]
