var Xa={b:Qb,c:Rb,d:`t${1}`};function Pb(){return{a:Xa}}throw Error(`bad export type for '${a}': ${typeof c} (${c})`);"dylink.0"
