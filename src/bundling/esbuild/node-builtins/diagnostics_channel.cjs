module.exports = (0, require)("node:diagnostics_channel");
