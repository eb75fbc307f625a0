Welcome!
%{ for n in names ~}
  * ${n}
%{ endfor ~}
%{ if admin == "" ~}
No admin configured.
%{ else ~}
Admin: ${admin}
%{ endif ~}
