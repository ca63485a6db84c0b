module.exports = (0, require)("node:worker_threads");
