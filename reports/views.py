from django.shortcuts import render

from accounts.decorators import role_permission_required
from accounts.rules import Permission


@role_permission_required(Permission.VIEW_AGGREGATES)
def home(request):
    return render(request, "reports/home.html")
