<?xml version="1.0" encoding="UTF-8"?>
<!--
  flat-table.xsl - maps a flat, table-style ERP export to keqing's canonical
  format (urn:keqing:erp:1).  Use:  keqing import FILE - -xslt flat-table.xsl

  Input (see flat-table-sample.xml and README.md in this folder):

    <数据导出 公司="…" 期间="2026-10" 导出时间="2026-11-03 09:00:00">
      <表 名="人员">
        <行><列 名="工号">E0001</列><列 名="姓名">王建国</列>…</行>
      </表>
      …
    </数据导出>

  Tables (名) and their columns: 区域, 人员, 客户, 联系人, 交接, 客情卡, 拜访,
  服务, 陈列, 信息反馈, 问候, 抽查.  Columns are found by name, so their order
  does not matter and unknown columns are ignored.  Empty cells are left out.
  Chinese values (岗位, 客户类型, 是/否, 服务类型, …) are mapped to the
  canonical codes; a value the map does not know is passed through unchanged,
  so the importer reports it ("unknown value …") instead of guessing.
  Dates may be written 2026/10/08, 2026.10.8, 2026-10-08 or 2026年10月8日, with
  or without a time after a space.

  The stylesheet runs with no file or network access (keqing forbids them),
  so it must be self-contained: no document(), xsl:import or xsl:include.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="urn:keqing:erp:1">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:key name="contacts" match="表[@名='联系人']/行" use="normalize-space(列[@名='客户编码'])"/>
  <xsl:key name="handovers" match="表[@名='交接']/行" use="normalize-space(列[@名='客户编码'])"/>

  <!-- ===== helpers ===================================================== -->

  <!-- attribute n with value v, left out when v is empty -->
  <xsl:template name="a">
    <xsl:param name="n"/>
    <xsl:param name="v"/>
    <xsl:if test="normalize-space($v) != ''">
      <xsl:attribute name="{$n}"><xsl:value-of select="normalize-space($v)"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- a date as YYYY-MM-DD -->
  <xsl:template name="date">
    <xsl:param name="n"/>
    <xsl:param name="v"/>
    <xsl:variable name="t" select="normalize-space($v)"/>
    <xsl:if test="$t != ''">
      <xsl:variable name="d0">
        <xsl:choose>
          <xsl:when test="contains($t, ' ')"><xsl:value-of select="substring-before($t, ' ')"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="s" select="translate($d0, '/.年月日', '----')"/>
      <xsl:variable name="y" select="substring-before($s, '-')"/>
      <xsl:variable name="r" select="substring-after($s, '-')"/>
      <xsl:variable name="m" select="substring-before($r, '-')"/>
      <xsl:variable name="d" select="substring-after($r, '-')"/>
      <xsl:attribute name="{$n}">
        <xsl:choose>
          <xsl:when test="$y != '' and $m != '' and $d != ''">
            <xsl:value-of select="concat($y, '-', substring(concat('0', $m), string-length($m)),
                                  '-', substring(concat('0', $d), string-length($d)))"/>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- a month-day (3月12日, 3/12, 03-12) as MM-DD -->
  <xsl:template name="monthday">
    <xsl:param name="n"/>
    <xsl:param name="v"/>
    <xsl:variable name="s" select="translate(normalize-space($v), '/.月日', '---')"/>
    <xsl:if test="$s != ''">
      <xsl:variable name="m" select="substring-before($s, '-')"/>
      <xsl:variable name="d" select="substring-after($s, '-')"/>
      <xsl:attribute name="{$n}">
        <xsl:choose>
          <xsl:when test="$m != '' and $d != ''">
            <xsl:value-of select="concat(substring(concat('0', $m), string-length($m)),
                                  '-', substring(concat('0', $d), string-length($d)))"/>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- 是/否 as true/false -->
  <xsl:template name="yesno">
    <xsl:param name="n"/>
    <xsl:param name="v"/>
    <xsl:variable name="t" select="normalize-space($v)"/>
    <xsl:if test="$t != ''">
      <xsl:attribute name="{$n}">
        <xsl:choose>
          <xsl:when test="$t = '是' or $t = 'Y' or $t = '1' or $t = 'true'">true</xsl:when>
          <xsl:when test="$t = '否' or $t = 'N' or $t = '0' or $t = 'false'">false</xsl:when>
          <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- a code from a Chinese label: $map is "label=code;label=code;" -->
  <xsl:template name="code">
    <xsl:param name="n"/>
    <xsl:param name="v"/>
    <xsl:param name="map"/>
    <xsl:variable name="t" select="normalize-space($v)"/>
    <xsl:if test="$t != ''">
      <xsl:attribute name="{$n}">
        <xsl:choose>
          <xsl:when test="contains($map, concat(';', $t, '='))">
            <xsl:value-of select="substring-before(substring-after($map, concat(';', $t, '=')), ';')"/>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- ===== document ===================================================== -->

  <xsl:template match="/数据导出">
    <export>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'company'"/><xsl:with-param name="v" select="@公司"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'period'"/><xsl:with-param name="v" select="translate(@期间, '/.年月', '--')"/></xsl:call-template>
      <xsl:if test="normalize-space(@导出时间) != ''">
        <xsl:variable name="x" select="translate(normalize-space(@导出时间), ' /', 'T-')"/>
        <xsl:attribute name="exported">
          <xsl:value-of select="$x"/>
          <xsl:if test="string-length($x) = 19">+08:00</xsl:if>
        </xsl:attribute>
      </xsl:if>
      <xsl:if test="表[@名='区域']">
        <regions><xsl:apply-templates select="表[@名='区域']/行"/></regions>
      </xsl:if>
      <xsl:if test="表[@名='人员']">
        <staff><xsl:apply-templates select="表[@名='人员']/行"/></staff>
      </xsl:if>
      <xsl:if test="表[@名='客户']">
        <customers><xsl:apply-templates select="表[@名='客户']/行"/></customers>
      </xsl:if>
      <xsl:if test="表[@名='客情卡']">
        <cards><xsl:apply-templates select="表[@名='客情卡']/行"/></cards>
      </xsl:if>
      <xsl:if test="表[@名='拜访' or @名='服务' or @名='陈列' or @名='信息反馈' or @名='问候' or @名='抽查']">
        <activities>
          <xsl:apply-templates select="表[@名='拜访']/行"/>
          <xsl:apply-templates select="表[@名='服务']/行"/>
          <xsl:apply-templates select="表[@名='陈列']/行"/>
          <xsl:apply-templates select="表[@名='信息反馈']/行"/>
          <xsl:apply-templates select="表[@名='问候']/行"/>
          <xsl:apply-templates select="表[@名='抽查']/行"/>
        </activities>
      </xsl:if>
    </export>
  </xsl:template>

  <!-- A root that is not 数据导出: not this layout. -->
  <xsl:template match="/*[not(self::数据导出)]">
    <xsl:message terminate="yes">flat-table.xsl: the root element is &lt;<xsl:value-of select="name()"/>&gt;, expected &lt;数据导出&gt; (a canonical export needs no --xslt)</xsl:message>
  </xsl:template>

  <!-- ===== tables ======================================================= -->

  <xsl:template match="表[@名='区域']/行">
    <region>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'id'"/><xsl:with-param name="v" select="列[@名='区域编码']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'name'"/><xsl:with-param name="v" select="列[@名='区域名称']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'parent'"/><xsl:with-param name="v" select="列[@名='上级区域']"/></xsl:call-template>
    </region>
  </xsl:template>

  <xsl:template match="表[@名='人员']/行">
    <person>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'id'"/><xsl:with-param name="v" select="列[@名='工号']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'name'"/><xsl:with-param name="v" select="列[@名='姓名']"/></xsl:call-template>
      <xsl:call-template name="code"><xsl:with-param name="n" select="'role'"/><xsl:with-param name="v" select="列[@名='岗位']"/>
        <xsl:with-param name="map" select="';终端业务员=terminal_staff;业务代表=sales_rep;销售代表=sales_rep;商务主管=commercial_supervisor;终端主管=terminal_supervisor;省区经理=province_manager;'"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'region'"/><xsl:with-param name="v" select="列[@名='所属区域']"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'hired'"/><xsl:with-param name="v" select="列[@名='入职日期']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'manager'"/><xsl:with-param name="v" select="列[@名='直属上级']"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'left'"/><xsl:with-param name="v" select="列[@名='离职日期']"/></xsl:call-template>
    </person>
  </xsl:template>

  <xsl:template match="表[@名='客户']/行">
    <xsl:variable name="id" select="normalize-space(列[@名='客户编码'])"/>
    <customer>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'id'"/><xsl:with-param name="v" select="$id"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'name'"/><xsl:with-param name="v" select="列[@名='客户名称']"/></xsl:call-template>
      <xsl:call-template name="code"><xsl:with-param name="n" select="'type'"/><xsl:with-param name="v" select="列[@名='客户类型']"/>
        <xsl:with-param name="map" select="';渠道=channel;渠道客户=channel;商业=channel;终端=terminal;终端客户=terminal;'"/></xsl:call-template>
      <xsl:call-template name="code"><xsl:with-param name="n" select="'grade'"/><xsl:with-param name="v" select="列[@名='客户等级']"/>
        <xsl:with-param name="map" select="';VIP类=VIP;A类=A;B类=B;C类=C;'"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'region'"/><xsl:with-param name="v" select="列[@名='所属区域']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'owner'"/><xsl:with-param name="v" select="列[@名='负责人']"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'founded'"/><xsl:with-param name="v" select="列[@名='成立日期']"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'restructured'"/><xsl:with-param name="v" select="列[@名='重组日期']"/></xsl:call-template>
      <xsl:apply-templates select="key('contacts', $id)"/>
      <xsl:apply-templates select="key('handovers', $id)"/>
    </customer>
  </xsl:template>

  <xsl:template match="表[@名='联系人']/行">
    <contact>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'id'"/><xsl:with-param name="v" select="列[@名='联系人编码']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'name'"/><xsl:with-param name="v" select="列[@名='姓名']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'position'"/><xsl:with-param name="v" select="列[@名='职务']"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'key'"/><xsl:with-param name="v" select="列[@名='关键人']"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'since'"/><xsl:with-param name="v" select="列[@名='建立关系日期']"/></xsl:call-template>
      <xsl:call-template name="monthday"><xsl:with-param name="n" select="'birthday'"/><xsl:with-param name="v" select="列[@名='生日']"/></xsl:call-template>
    </contact>
  </xsl:template>

  <xsl:template match="表[@名='交接']/行">
    <handover>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'from'"/><xsl:with-param name="v" select="列[@名='移交人']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'to'"/><xsl:with-param name="v" select="列[@名='接收人']"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'date'"/><xsl:with-param name="v" select="列[@名='交接日期']"/></xsl:call-template>
    </handover>
  </xsl:template>

  <xsl:template match="表[@名='客情卡']/行">
    <xsl:variable name="p" select="normalize-space(列[@名='电话'])"/>
    <card>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'contact'"/><xsl:with-param name="v" select="列[@名='联系人编码']"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'created'"/><xsl:with-param name="v" select="列[@名='建卡日期']"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'updated'"/><xsl:with-param name="v" select="列[@名='更新日期']"/></xsl:call-template>
      <xsl:if test="$p != ''">
        <xsl:attribute name="phones">
          <xsl:value-of select="normalize-space(concat(
              substring('office ', 1, 7 * contains($p, '办公')),
              substring('mobile ', 1, 7 * contains($p, '手机')),
              substring('home', 1, 4 * contains($p, '家庭')),
              substring($p, 1, string-length($p) * not(contains($p, '办公') or contains($p, '手机') or contains($p, '家庭')))))"/>
        </xsl:attribute>
      </xsl:if>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'family'"/><xsl:with-param name="v" select="列[@名='家庭成员数']"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'interests'"/><xsl:with-param name="v" select="列[@名='兴趣爱好']"/></xsl:call-template>
    </card>
  </xsl:template>

  <!-- the three columns every activity has -->
  <xsl:template name="activity">
    <xsl:param name="date"/>
    <xsl:call-template name="a"><xsl:with-param name="n" select="'id'"/><xsl:with-param name="v" select="列[@名='单据号']"/></xsl:call-template>
    <xsl:call-template name="a"><xsl:with-param name="n" select="'staff'"/><xsl:with-param name="v" select="列[@名='业务员']"/></xsl:call-template>
    <xsl:call-template name="a"><xsl:with-param name="n" select="'customer'"/><xsl:with-param name="v" select="列[@名='客户编码']"/></xsl:call-template>
    <xsl:call-template name="date"><xsl:with-param name="n" select="'date'"/><xsl:with-param name="v" select="列[@名=$date]"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="表[@名='拜访']/行">
    <visit>
      <xsl:call-template name="activity"><xsl:with-param name="date" select="'拜访日期'"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'contact'"/><xsl:with-param name="v" select="列[@名='联系人编码']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'purpose'"/><xsl:with-param name="v" select="列[@名='拜访目的']"/></xsl:call-template>
    </visit>
  </xsl:template>

  <xsl:template match="表[@名='服务']/行">
    <service>
      <xsl:call-template name="activity"><xsl:with-param name="date" select="'服务日期'"/></xsl:call-template>
      <xsl:call-template name="code"><xsl:with-param name="n" select="'kind'"/><xsl:with-param name="v" select="列[@名='服务类型']"/>
        <xsl:with-param name="map" select="';帮忙=favor;解决问题=problem;投诉处理=complaint;投诉=complaint;建议=advice;需求=need;劳务=labor;物料=material;'"/></xsl:call-template>
      <xsl:value-of select="normalize-space(列[@名='服务内容'])"/>
    </service>
  </xsl:template>

  <xsl:template match="表[@名='陈列']/行">
    <display>
      <xsl:call-template name="activity"><xsl:with-param name="date" select="'检查日期'"/></xsl:call-template>
      <xsl:call-template name="code"><xsl:with-param name="n" select="'position'"/><xsl:with-param name="v" select="列[@名='陈列位置']"/>
        <xsl:with-param name="map" select="';最佳=best;黄金位置=best;良好=good;一般=normal;无=none;未陈列=none;'"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'pop'"/><xsl:with-param name="v" select="列[@名='POP']"/></xsl:call-template>
    </display>
  </xsl:template>

  <xsl:template match="表[@名='信息反馈']/行">
    <report>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'id'"/><xsl:with-param name="v" select="列[@名='单据号']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'staff'"/><xsl:with-param name="v" select="列[@名='业务员']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'customer'"/><xsl:with-param name="v" select="列[@名='客户编码']"/></xsl:call-template>
      <xsl:call-template name="code"><xsl:with-param name="n" select="'kind'"/><xsl:with-param name="v" select="列[@名='反馈类型']"/>
        <xsl:with-param name="map" select="';经营变化=business_change;动销=sell_through;纯销=sell_through;下游反馈=downstream_feedback;竞品=competitor;竞品信息=competitor;'"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'month'"/><xsl:with-param name="v" select="translate(列[@名='所属月份'], '/.年月', '--')"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'received'"/><xsl:with-param name="v" select="列[@名='收到日期']"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'forwarded'"/><xsl:with-param name="v" select="列[@名='转交日期']"/></xsl:call-template>
    </report>
  </xsl:template>

  <xsl:template match="表[@名='问候']/行">
    <greeting>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'id'"/><xsl:with-param name="v" select="列[@名='单据号']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'staff'"/><xsl:with-param name="v" select="列[@名='业务员']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'customer'"/><xsl:with-param name="v" select="列[@名='客户编码']"/></xsl:call-template>
      <xsl:call-template name="code"><xsl:with-param name="n" select="'occasion'"/><xsl:with-param name="v" select="列[@名='节日']"/>
        <xsl:with-param name="map" select="';元旦=new_year;春节=spring_festival;清明=qingming;清明节=qingming;劳动节=labor_day;五一=labor_day;端午=dragon_boat;端午节=dragon_boat;中秋=mid_autumn;中秋节=mid_autumn;国庆=national_day;国庆节=national_day;生日=birthday;周年=anniversary;纪念日=anniversary;'"/></xsl:call-template>
      <xsl:call-template name="date"><xsl:with-param name="n" select="'date'"/><xsl:with-param name="v" select="列[@名='问候日期']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'contact'"/><xsl:with-param name="v" select="列[@名='联系人编码']"/></xsl:call-template>
      <xsl:call-template name="code"><xsl:with-param name="n" select="'channel'"/><xsl:with-param name="v" select="列[@名='方式']"/>
        <xsl:with-param name="map" select="';电话=phone;明信片=postcard;贺卡=postcard;短信=sms;微信=wechat;拜访=visit;上门=visit;'"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'identified'"/><xsl:with-param name="v" select="列[@名='识别身份']"/></xsl:call-template>
    </greeting>
  </xsl:template>

  <xsl:template match="表[@名='抽查']/行">
    <check>
      <xsl:call-template name="activity"><xsl:with-param name="date" select="'抽查日期'"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'checker'"/><xsl:with-param name="v" select="列[@名='抽查人']"/></xsl:call-template>
      <xsl:call-template name="a"><xsl:with-param name="n" select="'contact'"/><xsl:with-param name="v" select="列[@名='联系人编码']"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'rep_knows_name'"/><xsl:with-param name="v" select="列[@名='业务员知道客户姓名']"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'knows_rep_name'"/><xsl:with-param name="v" select="列[@名='客户知道业务员姓名']"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'rep_recites_card'"/><xsl:with-param name="v" select="列[@名='能背出客情卡']"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'knows_company'"/><xsl:with-param name="v" select="列[@名='客户知道公司']"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'first_recommend'"/><xsl:with-param name="v" select="列[@名='首推我司产品']"/></xsl:call-template>
      <xsl:call-template name="yesno"><xsl:with-param name="n" select="'explains_selling_points'"/><xsl:with-param name="v" select="列[@名='能讲解卖点']"/></xsl:call-template>
    </check>
  </xsl:template>

  <!-- anything else (unknown tables, text) is dropped -->
  <xsl:template match="text()"/>
</xsl:stylesheet>
