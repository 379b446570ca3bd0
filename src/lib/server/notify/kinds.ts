// Every kind of notification registers its renderer here, so the worker knows them all.
import './staff';
import './staff-scan';
