-- The province a new portal serves, and its agencies: the provincial departments named below and
-- every commune's People's Committee. Run once after the first start (migrations done), on
-- PostgreSQL (docs/deploy.md, section 5), with the province's code in the catalogue in force:
--   runuser -u civicvoice -- psql -v ON_ERROR_STOP=1 -v province=08 < deploy/province.sql
-- The admin pages do not set these yet; staff accounts and their grants are made there after.
begin;

create temporary table deployment_province on commit drop as
select id, name from admin_unit
where code = :'province' and level = 'province' and valid_to is null;

do $$ begin
	if (select count(*) from deployment_province) <> 1 then
		raise exception 'no province in force with that code';
	end if;
end $$;

insert into app_meta (key, value)
select 'deployment_unit_id', id::text from deployment_province
on conflict (key) do update set value = excluded.value;

-- add a line per department that answers questions or publishes disclosures
insert into agency (slug, name_vi, name_en, kind, unit_id)
select d.slug, d.name_vi || ' ' || lower(left(p.name, 1)) || substr(p.name, 2), d.name_en,
	d.kind, p.id
from deployment_province p,
	(values
		('ubnd-tinh', 'Ủy ban nhân dân', 'Provincial People''s Committee', 'province_committee'),
		('so-noi-vu', 'Sở Nội vụ', 'Department of Home Affairs', 'department'),
		('so-tai-chinh', 'Sở Tài chính', 'Department of Finance', 'department'),
		('so-xay-dung', 'Sở Xây dựng', 'Department of Construction', 'department'),
		('so-nong-nghiep-moi-truong', 'Sở Nông nghiệp và Môi trường',
			'Department of Agriculture and Environment', 'department')
	) as d (slug, name_vi, name_en, kind)
on conflict do nothing;

insert into agency (slug, name_vi, name_en, kind, unit_id)
select 'ubnd-' || u.code, 'Ủy ban nhân dân ' || lower(left(u.name, 1)) || substr(u.name, 2),
	'People''s Committee of ' || u.name, 'commune_committee', u.id
from admin_unit u, deployment_province p
where u.parent_id = p.id and u.level = 'commune' and u.valid_to is null
on conflict do nothing;

commit;
