"""The notice grammar: ordered line rules (:mod:`.lines`), the responsibility clause
(:mod:`.units`), attributions in running text (:mod:`.attributions`), tables (:mod:`.table`), the
document head (:mod:`.head`), the checks that raise warnings (:mod:`.checks`) and the assembler
that puts them together (:mod:`.notice`)."""
