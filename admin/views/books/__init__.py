"""The cooperative's books (账簿) in the admin: chart, voucher entry and list, close, balances, ledgers, journals.

Every page reads and writes through coopcore.services.ledger and reaches only the cooperatives within the user's
reach (admin.views.distribution.chosen_cooperative / scoped_cooperative); a supervisor or an official reads,
an accountant or an administrator also writes. A refusal of the books is shown in the reader's language and
writes nothing (admin.errors).
"""
