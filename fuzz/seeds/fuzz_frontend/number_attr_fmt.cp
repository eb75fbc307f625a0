a=1+2*3-4/5%6
b=!x&&y||z
c=x==y?a:b
d=-1
e=[ -1 , - 2 ]
f=foo( - x )
g=a<b&&c>=d&&e<=f&&g!=h
h=x.*.y
i=x[*].y[0]
j=x . y [ 0 . z] 
k={for k , v in m : k => v ... if v}
l=[for x in xs: x if x>0]
m=f(xs ...)
n=a.0.b
