# top
// slashes
/* block */ a = 1 # trailing
b = 2     // trailing too
/*
  multi
    line
*/
c {
     # indented comment
  d = 1
}
