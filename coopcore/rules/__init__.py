"""Pure rules of the law and the bylaws: plain values in, findings or figures out, no database."""
