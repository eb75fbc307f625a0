/* a comment
that never ends
locals {}
