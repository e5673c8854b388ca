"""The network: its spec, the MLP on the engine, the Trace it records, model files, verification."""
