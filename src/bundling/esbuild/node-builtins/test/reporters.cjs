module.exports = (0, require)("node:test/reporters");
