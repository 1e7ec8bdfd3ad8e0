function jb(){L={__assert_fail:kb,memory:Ia,"quoted":x,fn:(a,b)=>{return{a:1}}};return{env:L,wasi_snapshot_preview1:L,"GOT.mem":new Proxy(L,xe)}}L={short:1}
