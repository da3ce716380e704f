"""The check stage: grammar (RELAX NG, Schematron) and the rules across documents."""
