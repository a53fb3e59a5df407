/* global process */
// Preloaded into `npm start` by the smoke test (NODE_OPTIONS=--import …): process.binding() is
// deprecated (DEP0111) but only documentation-deprecated for most modules, so Node prints nothing
// when a dependency calls it. This turns every call into a runtime deprecation, which
// --throw-deprecation makes fatal: the start fails, naming the caller in its stack.
const binding = process.binding.bind(process);
process.binding = (name) => {
  process.emitWarning(`process.binding('${name}') called`, "DeprecationWarning", "DEP0111");
  return binding(name);
};
