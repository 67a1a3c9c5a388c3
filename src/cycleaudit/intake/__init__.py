"""Ways into a questionnaire for people who do not write YAML."""
