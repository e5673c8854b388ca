"""What the manim scenes in scenes/ are built from: the network mobject (from the shared
layout), helpers that return animations, and the Trace a scene shows. Scenes import these and
only map Trace fields to animations. Kept in the package (not in scenes/) so that the plain
`manim scenes/<file>.py Scene` command can import them from any folder."""
