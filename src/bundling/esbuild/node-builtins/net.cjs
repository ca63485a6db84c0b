module.exports = (0, require)("node:net");
