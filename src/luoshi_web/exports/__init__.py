"""Files for people who will not log in: the ledger (台账) as Excel, CSV and JSON, and the
period's bulletin (督查通报) as Word.

=================================================  ===============================================
function                                           returns
=================================================  ===============================================
``rows.ledger_rows(user, document, …)``            the ledger as a list of dicts, one per task
``ledger.build_ledger(user, document, …)``         .xlsx bytes
``tabular.ledger_csv(user, document, …)``          .csv bytes (UTF-8 with BOM, for Excel)
``tabular.ledger_json(user, document, …)``         .json bytes (UTF-8)
``bulletin.build_bulletin(user, document, period)``  .docx bytes
``rows.parse_filters(document, leader=…, …)``      the filters from query strings, or FilterError
``rows.can_export(user, document)``                whether the document exists for the user
``download.file_response(…)``                      an attachment response (views and the API)
=================================================  ===============================================

Each holds only what the user may see (``accounts.permissions``): a unit's ledger only the
tasks its unit is on, a leader's only the sections they lead and the tasks that name them. None
of them decides a 4xx: the views (``exports.views``) and the REST API do.

The package imports no model at import time (it is a Django app): import the modules above.
"""
