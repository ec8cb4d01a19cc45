"""memstrata: persistent memory for LLM applications."""
