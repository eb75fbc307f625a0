locals {
a = 1
bbb = 2
cc = "x" # note

dddd = 4
e = 5
# comment breaks the run
ffffff = 6
g = 7
nested {
x = 1
yyy = 2
}
h = [
1,
2,
]
iii = 3
}
