#!/bin/sh
# The quick-start demo: a fresh embedded store from the bundled sample data, and a few answers.
set -e
PG=${1:-build/app/pactgraph}
DB=${DEMO_DB:-build/demo.db}
rm -rf "$DB"
echo "== pactgraph import datasets/press   (twelve press releases, read and extracted; no facts files)"
"$PG" --db "$DB" import datasets/press
echo
echo "== pactgraph stats"
"$PG" --db "$DB" stats
echo
echo "== pactgraph show RHEL        (who supports it, on what, says who)"
"$PG" --db "$DB" show RHEL
echo
echo "== pactgraph show Azure"
"$PG" --db "$DB" show Azure
echo
echo "== pactgraph query 'WHO SUPPORTS \"RHEL\" ON \"Hyper-V\"'   (with the sentence each answer came from)"
"$PG" --db "$DB" query 'WHO SUPPORTS "RHEL" ON "Hyper-V"'
echo
echo "== pactgraph query 'WHO SUPPORTS RHEL AS OF 2010-01-01' (what was stated by then)"
"$PG" --db "$DB" query --no-evidence 'WHO SUPPORTS RHEL AS OF 2010-01-01'
echo
echo "== pactgraph query 'MATCH (c:Company)-[s:SUPPORTS]->(p) RETURN c.name, count(*) ...' (a pattern)"
"$PG" --db "$DB" query 'MATCH (c:Company)-[s:SUPPORTS]->(p:Product) RETURN c.name AS company, count(*) AS supports ORDER BY supports DESC, company'
echo
echo "== pactgraph query 'PATH Oracle TO \"Red Hat\"'"
"$PG" --db "$DB" query 'PATH Oracle TO "Red Hat"'
echo
echo "== pactgraph query 'RANK Company BY PAGERANK LIMIT 5'   (the centre of the web of agreements)"
"$PG" --db "$DB" query 'RANK Company BY PAGERANK LIMIT 5'
echo
echo "== pactgraph check"
"$PG" --db "$DB" check
echo
echo "The store is in $DB; try: $PG --db $DB query 'WHAT DOES Microsoft SUPPORT'"
