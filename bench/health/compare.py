"""Checks that the DuckDB figures agree with guildhall's JSON report.

Usage: python3 compare.py REPORT.json DUCKDB_FIGURES.json
"""
import json
import sys

report = json.load(open(sys.argv[1]))
duck = json.load(open(sys.argv[2]))
scopes = {c["community"]: c["metrics"] for c in report["communities"]}
scopes["(organisation)"] = report["organisation"]["metrics"]
checked, differences = 0, []
for scope, figures in duck.items():
    ours = scopes.get(scope)
    if ours is None:
        differences.append(f"{scope}: not in the report")
        continue
    for name, value in figures.items():
        if name not in ours:
            continue
        mine = ours[name]
        checked += 1
        if value is None or mine is None:
            same = value is None and mine in (None, 0, 0.0) or mine is None and value in (None, 0, 0.0)
        else:
            same = abs(float(value) - float(mine)) <= 1e-6 * max(1.0, abs(float(mine)))
        if not same:
            differences.append(f"{scope}.{name}: guildhall {mine} duckdb {value}")
print(f"compared {checked} figures over {len(duck)} scopes: {len(differences)} differ")
for d in differences[:20]:
    print("  " + d)
sys.exit(1 if differences else 0)
