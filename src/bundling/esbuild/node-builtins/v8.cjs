module.exports = (0, require)("node:v8");
