module.exports = (0, require)("node:module");
