"""What reads a Trace and shows it: explain's text, diagrams, the lecture video (never the engine)."""
