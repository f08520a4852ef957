"""Reads the Parquet tables of `cargo ipw export --parquet DIR` with DuckDB and checks
that SQL gives back results.json's numbers: every case's mean energy per iteration (over
its valid samples) and every query case's accuracy (over its questions).

Usage: python3 scripts/duckdb_check.py RESULTS.json PARQUET_DIR
Exit 0 when every number agrees to 1e-12 relative (and says how many agree bit for bit),
1 otherwise.
"""

import json
import math
import sys

import duckdb

ENERGY = """
SELECT case_id, avg(energy_total_j / iters) AS energy_per_iter_j
FROM read_parquet(?)
WHERE valid AND energy_total_j IS NOT NULL
GROUP BY case_id
"""

ACCURACY = """
SELECT case_id, sum(correct) / (sum(correct) + sum(incorrect)) AS accuracy
FROM read_parquet(?)
GROUP BY case_id
"""


def main(results_path, parquet_dir):
    run = json.load(open(results_path))
    cases = {c["id"]: c for c in run["cases"]}
    con = duckdb.connect()
    # One thread: sums in file order, as the analysis adds them.
    con.execute("SET threads TO 1")
    for table in ("cases", "estimates", "samples", "questions"):
        n = con.execute(
            "SELECT count(*) FROM read_parquet(?)", [f"{parquet_dir}/{table}.parquet"]
        ).fetchone()[0]
        print(f"{table}.parquet: {n} rows")
    checks = []
    for sql, table, metric in (
        (ENERGY, "samples", "energy_per_iter_j"),
        (ACCURACY, "questions", "accuracy"),
    ):
        for case_id, got in con.execute(sql, [f"{parquet_dir}/{table}.parquet"]).fetchall():
            want = cases[case_id]["estimates"][metric]["point"]
            checks.append((case_id, metric, got, want))
    bad = [c for c in checks if not math.isclose(c[2], c[3], rel_tol=1e-12, abs_tol=0.0)]
    exact = sum(1 for c in checks if c[2] == c[3])
    for case_id, metric, got, want in checks:
        print(f"{case_id} {metric}: duckdb {got!r} results.json {want!r}")
    if not checks or bad:
        print(f"FAILED: {len(bad)} of {len(checks)} numbers differ", file=sys.stderr)
        return 1
    print(f"duckdb: all {len(checks)} numbers agree with results.json ({exact} bit for bit)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
