%{ for n in names ~}
${n}.internal
%{ endfor ~}
