module.exports = (0, require)("node:sys");
