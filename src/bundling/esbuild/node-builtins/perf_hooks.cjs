module.exports = (0, require)("node:perf_hooks");
