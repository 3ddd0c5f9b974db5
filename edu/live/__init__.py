"""A teacher-paced live lesson: the projector shows a step, the class's phones follow it (docs/decisions.md)."""
