module.exports = (0, require)("node:trace_events");
