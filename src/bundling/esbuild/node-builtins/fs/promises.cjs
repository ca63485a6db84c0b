module.exports = (0, require)("node:fs/promises");
