// Loads a `pactgraph export --format kuzu` folder into a new Kùzu database and answers questions,
// as a Kùzu user would: schema.cypher, then load.cypher, run from the folder.
//
//   node kuzu_load.js KUZU_MODULE_DIR DATABASE_DIR EXPORT_DIR QUERY...
//
// Prints one line of JSON per query: the rows it returned. Exits 1 on the first error.
const fs = require("fs");
const path = require("path");

const [moduleDir, dbDir, exportArg, ...queries] = process.argv.slice(2);
const exportDir = path.resolve(exportArg);
const kuzu = require(path.resolve(moduleDir, "node_modules", "kuzu"));

function statements(file) {
  return fs.readFileSync(path.join(exportDir, file), "utf8").split(";\n").map((s) => s.trim()).filter((s) => s);
}

(async () => {
  const db = new kuzu.Database(path.resolve(dbDir));
  const conn = new kuzu.Connection(db);
  process.chdir(exportDir);  // load.cypher names its files relative to the folder
  for (const file of ["schema.cypher", "load.cypher"]) {
    for (const s of statements(file)) {
      try {
        await conn.query(s);
      } catch (e) {
        throw new Error(file + ": " + s + ": " + e.message);
      }
    }
  }
  for (const q of queries) {
    const result = await conn.query(q);
    console.log(JSON.stringify(await result.getAll()));
  }
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
