Welcome!
%{ for n in names ~}
  * ${n}
%{ endfor ~}
%{ if admin == "" ~}
No admin.
%{ else ~}
Admin: ${admin}
%{ endif ~}
