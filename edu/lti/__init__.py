"""LTI 1.3: Boundaries as a tool an LMS launches (docs/integrations.md)."""
